using ReSpike.Spiking.Surrogates;
using TorchSharp;
using static TorchSharp.torch;

namespace ReSpike.Tests.Spiking;

public class SurrogateTests
{
    static readonly double[] Points = [-2.0, -0.7, -0.25, -0.05, 0.0, 0.03, 0.3, 0.45, 0.9, 1.6];

    public static TheoryData<string> Names => new() { "atan", "atan:2", "atan:5", "sigmoid", "sigmoid:2", "rectangle", "rectangle:0.6", "triangle", "triangle:0.5" };

    [Theory]
    [MemberData(nameof(Names))]
    public void Forward_is_exact_heaviside_firing_at_zero(string name)
    {
        var surrogate = Surrogate.Parse(name);
        using var u = torch.tensor(Points, dtype: ScalarType.Float32, requires_grad: true);
        using var s = surrogate.Spike(u);
        var expected = Points.Select(p => p >= 0 ? 1f : 0f).ToArray();
        Assert.Equal(expected, s.data<float>().ToArray()); // bit-exact 0/1, including u == 0 -> 1
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Autograd_gradient_equals_the_closed_form(string name)
    {
        var surrogate = Surrogate.Parse(name);
        using var u = torch.tensor(Points, dtype: ScalarType.Float64, requires_grad: true);
        using var s = surrogate.Spike(u);
        using var total = s.sum();
        total.backward();
        var autograd = u.grad!.data<double>().ToArray();
        using var closedTensor = surrogate.Gradient(u.detach());
        var closed = closedTensor.data<double>().ToArray();
        for (int i = 0; i < Points.Length; i++)
        {
            Assert.Equal(surrogate.Gradient(Points[i]), autograd[i], 12);
            Assert.Equal(surrogate.Gradient(Points[i]), closed[i], 12);
        }
    }

    [Fact]
    public void ATan_alpha_2_gradient_is_one_over_one_plus_pi_u_squared()
    {
        var atan = new ATan(2.0);
        using var u = torch.tensor(Points, dtype: ScalarType.Float64, requires_grad: true);
        using var s = atan.Spike(u);
        s.sum().backward();
        var grad = u.grad!.data<double>().ToArray();
        for (int i = 0; i < Points.Length; i++)
            Assert.Equal(1.0 / (1.0 + Math.Pow(Math.PI * Points[i], 2)), grad[i], 12);
        Assert.Equal(1.0, grad[Array.IndexOf(Points, 0.0)], 15); // peak value 1 at the threshold
    }

    [Fact]
    public void Hand_values_of_each_formula()
    {
        Assert.Equal(1.0 / (1 + Math.PI * Math.PI * 0.25), new ATan(2).Gradient(0.5), 14);
        Assert.Equal(4 * 0.5 * 0.5, new Sigmoid(4).Gradient(0.0), 14);          // alpha * 1/2 * 1/2
        Assert.Equal(1.0, new Rectangle(1).Gradient(0.5), 14);                  // edge is inclusive
        Assert.Equal(0.0, new Rectangle(1).Gradient(0.51), 14);
        Assert.Equal(0.5, new Triangle(1).Gradient(-0.5), 14);                   // (1 - 0.5)/1
        Assert.Equal(0.0, new Triangle(1).Gradient(1.2), 14);
    }

    [Fact]
    public void Without_autograd_spike_is_just_the_step()
    {
        using var u = torch.tensor(new float[] { -1, 0, 1 });
        using var s = new ATan().Spike(u);
        Assert.False(s.requires_grad);
        Assert.Equal(new float[] { 0, 1, 1 }, s.data<float>().ToArray());
    }

    [Fact]
    public void Names_parse_with_parameters_and_unknown_names_are_refused()
    {
        var a = Assert.IsType<ATan>(Surrogate.Parse("ATan:3.5"));
        Assert.Equal(3.5, a.Alpha);
        Assert.Equal(4.0, Assert.IsType<Sigmoid>(Surrogate.Parse("sigmoid")).Alpha);
        Assert.Equal(0.5, Assert.IsType<Rectangle>(Surrogate.Parse("rectangle:0.5")).Width);
        Assert.Equal(1.0, Assert.IsType<Triangle>(Surrogate.Parse("triangle")).Gamma);
        var unknown = Assert.Throws<ArgumentException>(() => Surrogate.Parse("erf"));
        Assert.Contains("unknown surrogate 'erf'", unknown.Message);
        Assert.Contains("atan, sigmoid, rectangle, triangle", unknown.Message);
        var notNumber = Assert.Throws<ArgumentException>(() => Surrogate.Parse("atan:two"));
        Assert.Contains("'two' is not a number", notNumber.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => Surrogate.Parse("atan:-1"));
    }
}
